/**
 * The report palette: Okabe & Ito's eight colours (2008, "Color Universal Design"), chosen because
 * they stay distinguishable under the common colour-vision deficiencies and in greyscale print.
 * Series get colours in this order; a chart never relies on colour alone (lines also differ in
 * dash, and every chart has a table alternative).
 */
export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const;

/** Series colours in order of use: the subject first (blue), then its benchmark (orange), … */
export const SERIES_COLOURS: readonly string[] = [
  OKABE_ITO.blue,
  OKABE_ITO.orange,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.vermillion,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.skyBlue,
  OKABE_ITO.black,
];

/** Losses, exceptions and alerts: vermillion (gains are blue; the pair is safe for red–green deficiency). */
export const LOSS_COLOUR = OKABE_ITO.vermillion;

/** A diverging scheme for heatmaps centred on zero (vega's blue–orange is colour-blind safe). */
export const DIVERGING_SCHEME = 'blueorange';
/** A sequential scheme for counts (confusion matrices). */
export const SEQUENTIAL_SCHEME = 'blues';
