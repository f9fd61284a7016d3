/**
 * The time axis every backtest chart shares: one position per forecast period, dated by the end
 * of its return. Labels always carry the year (vega's default shows it only at January ticks, so
 * a chart whose ticks fall in April and October would show no year at all), and the day too when
 * the forecasts span little more than a year (ticks are then weeks or months apart).
 */
import type { BacktestReport } from '../../domain/scoring/backtest-report.ts';

const DAY_MS = 86_400_000;

/** The x encoding for the report's forecast periods. */
export function periodX(report: BacktestReport) {
  const days = (Date.parse(report.lastForecastDate) - Date.parse(report.firstForecastDate)) / DAY_MS;
  return {
    field: 'date',
    type: 'temporal' as const,
    scale: { type: 'utc' as const, padding: 6 },
    axis: { format: days > 500 ? '%b %Y' : '%-d %b %Y', labelOverlap: true },
    title: 'Date (end of the forecast period)',
  };
}
