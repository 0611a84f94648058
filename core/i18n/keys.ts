/** The typed keys of the message catalogue (the Chinese catalogue is the reference). */
import type { zh } from './zh';

export type MessageKey = keyof typeof zh;

/** Keys under `prefix.`, without the prefix: what one screen's adapter may ask for. */
export type KeysUnder<P extends string> = { [K in MessageKey]: K extends `${P}.${infer R}` ? R : never }[MessageKey];
