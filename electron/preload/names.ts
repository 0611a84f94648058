/** IPC channel names shared by main and preload (the contract's channels travel inside INVOKE). */
export const INVOKE = 'warmnet:invoke';
export const EVENT = 'warmnet:event';
