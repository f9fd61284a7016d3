/**
 * The time axis every backtest chart shares: one position per forecast period, dated by the end
 * of its return. Labels always carry the year (vega's default shows it only at January ticks, so
 * a chart whose ticks fall in April and October would show no year at all).
 */
export const PERIOD_X = {
  field: 'date',
  type: 'temporal' as const,
  scale: { type: 'utc' as const, padding: 6 },
  axis: { format: '%b %Y' },
  title: 'Date (end of the forecast period)',
};
