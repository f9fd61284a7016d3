/**
 * Success body (200, `application/json`) of `POST /v1/risk/instrument`.
 *
 * Units and signs (also stated in the `conventions` member of every answer and in docs/api.md):
 * returns are simple daily returns r_t = C_t / C_{t-1} - 1; volatility is the sample standard
 * deviation (n - 1) of the daily returns × √252; max drawdown and VaR are positive loss
 * fractions (0.12 = a 12 % loss); VaR is the 1-day historical VaR, the type-7 (linear
 * interpolation) quantile of the daily returns at 1 - confidence, negated.
 */
import * as z from 'zod';
import { RISK_CONVENTIONS } from '../domain/scoring/conventions.ts';
import { ModelAnswerSchema } from './model-answer.ts';

const IsoDate = z.iso.date();

const MaxDrawdownSchema = z
  .object({
    value: z.number().min(0).meta({ description: 'Largest peak-to-trough fall, 1 - trough close / peak close, as a positive fraction.', example: 0.2341 }),
    peakDate: IsoDate.meta({ description: 'Date of the peak before the largest fall.' }),
    troughDate: IsoDate.meta({ description: 'Date of the trough of the largest fall.' }),
    recoveryDate: IsoDate.nullable().meta({
      description:
        'First date the close was back at or above the peak; null if it has not been. When prices never fell, peak, trough and recovery are the first date and value is 0.',
    }),
  })
  .meta({ id: 'MaxDrawdown' });

const HistoricalVarSchema = z
  .object({
    value: z
      .number()
      .meta({ description: '1-day historical VaR as a positive loss fraction (negative if even the tail quantile is a gain).', example: 0.0171 }),
    confidence: z.number().meta({ example: 0.95 }),
    horizonDays: z.literal(1),
  })
  .meta({ id: 'HistoricalVar' });

const HistoricalEsSchema = z
  .object({
    value: z.number().meta({
      description: '1-day historical expected shortfall: minus the mean of the daily returns at or below the VaR quantile; positive loss fraction, ≥ VaR.',
      example: 0.0262,
    }),
    confidence: z.number().meta({ example: 0.95 }),
    horizonDays: z.literal(1),
  })
  .meta({ id: 'HistoricalEs' });

const OhlcVolatilitySchema = z
  .object({
    rows: z.number().int().min(4).meta({ description: 'Rows (prices) the estimators used: the whole history.' }),
    closeToClose: z.number().meta({ description: 'Sample std (n-1) of the daily log returns × √252 (the reference the range estimators are compared with).' }),
    parkinson: z.number().meta({ description: 'Parkinson: √(252 / (4 n ln 2) · Σ ln(H/L)²).' }),
    garmanKlass: z.number().meta({ description: 'Garman–Klass: √(252 / n · Σ[½ ln(H/L)² − (2 ln 2 − 1) ln(C/O)²]).' }),
    rogersSatchell: z.number().meta({ description: 'Rogers–Satchell: √(252 / n · Σ[ln(H/C) ln(H/O) + ln(L/C) ln(L/O)]).' }),
    yangZhang: z.number().meta({ description: 'Yang–Zhang (α = 1.34), over the last rows − 1 rows (it needs the previous close).' }),
  })
  .meta({
    id: 'OhlcVolatility',
    description:
      "The risk engine's range-based volatility estimators, annualised with 252 periods per year, one window over the whole history (as `riskfn metrics`).",
  });

const RiskMetricsSchema = z
  .object({
    annualizedVolatility: z.number().min(0).meta({ description: 'Sample std (n-1) of daily simple returns × √252.', example: 0.1873 }),
    maxDrawdown: MaxDrawdownSchema,
    historicalVar: HistoricalVarSchema,
    historicalEs: HistoricalEsSchema,
    totalReturn: z.number().meta({ description: 'Last close / first close - 1.' }),
    annualizedReturn: z.number().meta({ description: 'Geometric (CAGR): (1 + totalReturn)^(252 / returns) - 1.' }),
    meanDailyReturn: z.number().meta({ description: 'Arithmetic mean of the daily simple returns.' }),
    ohlcVolatility: OhlcVolatilitySchema.nullable().meta({
      description: 'Range-based volatility estimators; null unless every price of the history has open, high and low (and there are at least 4).',
    }),
  })
  .meta({ id: 'RiskMetrics' });

/** The conventions block of an instrument answer. */
const ConventionsSchema = z
  .object({
    returns: z.literal(RISK_CONVENTIONS.returns),
    periodsPerYear: z.literal(RISK_CONVENTIONS.periodsPerYear),
    volatility: z.literal(RISK_CONVENTIONS.volatility),
    lossSign: z.literal(RISK_CONVENTIONS.lossSign),
    var: z.literal(RISK_CONVENTIONS.var),
    drawdown: z.literal(RISK_CONVENTIONS.drawdown),
  })
  .meta({ id: 'Conventions', description: 'How the metrics are defined (fixed values, for the record).' });

/** One lake object left out of a history because it could not be read. */
export const DataWarningSchema = z
  .object({
    key: z
      .string()
      .meta({ description: 'S3 key of the lake object that was left out.', example: 'staging/prices/symbol=DAX/shardId-000000000000-4965…-2024.parquet' }),
    reason: z.string().meta({ description: 'Why it could not be read.', example: 'not a readable Parquet file: parquet file invalid (magic number mismatch)' }),
  })
  .meta({ id: 'DataWarning' });

export const RiskInstrumentResponseSchema = z
  .object({
    requestId: z.string().meta({ description: 'Request id; the key of the audit item.' }),
    symbol: z.string().nullable().meta({ description: 'Instrument symbol; null when the body carried prices without one.' }),
    source: z.enum(['lake', 'request']).meta({ description: 'Where the history came from.' }),
    asOf: IsoDate.meta({ description: "Last date of the history (the request's `asOf` when given: the last date on or before it)." }),
    firstDate: IsoDate.meta({ description: 'First date of the history.' }),
    observations: z.number().int().min(2).meta({ description: 'Number of prices used (the metrics use observations - 1 returns).' }),
    inputHash: z.string().meta({ description: 'sha256 of the canonical JSON of the scored input (see docs/api.md).' }),
    metrics: RiskMetricsSchema,
    conventions: ConventionsSchema,
    model: ModelAnswerSchema,
    dataWarnings: z.array(DataWarningSchema).optional().meta({
      description:
        'Present only when lake objects of the symbol could not be read (corrupt): they were left out and the answer was computed from the rest of its history.',
    }),
  })
  .meta({ id: 'RiskInstrumentResponse' });

export type RiskInstrumentResponse = z.infer<typeof RiskInstrumentResponseSchema>;
