/**
 * Colours of the pipe themes, one per class. The map, the legend, exported
 * maps and charts all read them from here so a class has one colour
 * everywhere.
 */
import type { AgeClass, LeakClass } from '../model/classes';
import type { PipeLevel, RenovationStatus } from '../model/schema';

export const AGE_COLORS: Record<AgeClass, string> = {
  lt10: '#1a9850',
  '10to20': '#a6d96a',
  '20to30': '#fdae61',
  past_life: '#d73027',
  unknown: '#9e9e9e',
};

export const LEAK_COLORS: Record<LeakClass, string> = {
  none: '#4575b4',
  one: '#fee090',
  two_three: '#f46d43',
  four_plus: '#a50026',
};

export const RENOVATION_COLORS: Record<RenovationStatus, string> = {
  none: '#b0b7c3',
  candidate: '#f1a340',
  planned: '#3288bd',
  in_progress: '#9e0142',
  completed: '#1b9e77',
};

export const LEVEL_COLORS: Record<PipeLevel, string> = {
  primary: '#c0392b',
  secondary: '#2e86c1',
  courtyard: '#7d3c98',
};

/** Colours for facilities and base layers. */
export const FEATURE_COLORS = {
  street: '#d5d8dc',
  streetCasing: '#aab0b8',
  community: '#f6e7c1',
  communityOutline: '#c8a95a',
  valveOpen: '#1f618d',
  valveClosed: '#e74c3c',
  station: '#117a65',
  source: '#b03a2e',
  backupSource: '#d68910',
  coalArea: '#5d6d7e',
  incident: '#e67e22',
  complaint: '#8e44ad',
  selection: '#00e5ff',
  hover: '#ffd400',
};
