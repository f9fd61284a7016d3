/**
 * The model's part of a scoring answer (`model` in the instrument and portfolio responses): the
 * champion's risk level, class probabilities and the explanation of that answer.
 */
import * as z from 'zod';

const IsoDate = z.iso.date();

const FeatureContributionSchema = z
  .object({
    feature: z.string().meta({ example: 'vol_21' }),
    value: z.number().meta({ description: 'Feature value on the as-of date.' }),
    contribution: z.number().meta({ description: 'Contribution to the probability of the predicted risk level.' }),
  })
  .meta({ id: 'FeatureContribution' });

const RiskLevelSchema = z.enum(['low', 'medium', 'high']).meta({
  id: 'RiskLevel',
  description:
    "Class of the annualised volatility expected over the model's horizon (21 trading days by default), in the bands of the champion's label rule; by default fixed bands: low ≤ 15 %, medium ≤ 25 %, high > 25 % (the upper classes 1–5, 6 and 7 of the UCITS synthetic risk and reward indicator), the same for every instrument and period.",
});

export const ModelAnswerSchema = z
  .object({
    version: z.string().meta({ description: 'Champion model version that answered.' }),
    riskLevel: RiskLevelSchema,
    probabilities: z.record(z.string(), z.number().min(0).max(1)).meta({
      description:
        'Calibrated class probabilities (sum to 1). riskLevel is the level whose probability is highest relative to its share of the training rows (the answer that maximises balanced accuracy), so a rare level can be answered below 50 %.',
      example: { low: 0.2, medium: 0.5, high: 0.3 },
    }),
    featuresAsOf: IsoDate.meta({ description: 'Date whose features were scored (the last date).' }),
    explanation: z
      .object({
        method: z.string().meta({ description: 'How contributions are computed.' }),
        baseRate: z.number().meta({ description: 'Probability of the predicted level before any feature (the starting point the contributions add to).' }),
        calibration: z.number().meta({
          description:
            "What the calibration adds to the forest's vote share (baseRate + all contributions) to give the served probability: the map fitted on held-out rows, pooled with the HAR volatility forecast. probability = baseRate + Σ contributions + calibration.",
        }),
        contributions: z.array(FeatureContributionSchema).meta({ description: 'Largest contributions by absolute value, largest first.' }),
      })
      .meta({ id: 'ModelExplanation' }),
    trainedThrough: IsoDate.optional().meta({ description: 'Last date of the rows the model was trained on (from the artifact).' }),
    promotedAt: z.string().optional().meta({ description: 'When the model became champion (ISO 8601).' }),
  })
  .meta({ id: 'ModelAnswer' });
