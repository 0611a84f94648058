/**
 * The rules of the network check (DOMAIN.md §3 item 1), in the order their
 * findings are listed. Adding a rule: one file in rules/ exporting a
 * `CheckRule`, its message keys under `check.` in both catalogues, one line
 * here, and a test on a network where only its defect exists.
 */
import type { CheckRule } from './types';
import { endOnPipe } from './rules/endOnPipe';
import { dangling } from './rules/dangling';
import { levelsJoined } from './rules/levelsJoined';
import { crossing } from './rules/crossing';
import { zeroLength } from './rules/zeroLength';
import { duplicatePipes } from './rules/duplicatePipes';
import { offNetwork } from './rules/offNetwork';
import { duplicatePoints } from './rules/duplicatePoints';
import { island } from './rules/island';

export const CHECK_RULES: readonly CheckRule[] = [endOnPipe, dangling, levelsJoined, crossing, zeroLength, duplicatePipes, offNetwork, duplicatePoints, island];
