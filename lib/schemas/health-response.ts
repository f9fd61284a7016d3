/**
 * Success body of `GET /health`: liveness, whether a champion model is loaded, and the version of
 * the code answering.
 */
import * as z from 'zod';

export const HealthResponseSchema = z
  .object({
    status: z.literal('ok').meta({ description: 'Always `ok`: the function is up and answering.' }),
    champion: z
      .object({
        version: z.string().meta({ description: 'Champion model version.', example: 'v20261124T090000Z-3f2a' }),
        promotedAt: z.string().nullable().meta({ description: 'When it was promoted (ISO 8601 UTC); null if the registry does not say.' }),
      })
      .nullable()
      .meta({ description: 'The champion model, loaded and ready to score; null when none has been promoted (scoring routes then answer 503).' }),
    version: z.string().meta({ description: 'Version of the riskfn package answering.', example: '0.1.0' }),
  })
  .meta({ id: 'HealthResponse' });

export type HealthResponse = z.infer<typeof HealthResponseSchema>;
