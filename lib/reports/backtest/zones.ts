/**
 * The Basel zones' colours and names, shared by the traffic-light section and the trailing
 * exception chart. Okabe–Ito's bluish green, yellow and vermillion stay apart under the common
 * colour-vision deficiencies; the zone is always written out as well.
 */
import type { BaselZone } from '../../domain/risk/backtest.ts';
import { OKABE_ITO } from '../palette.ts';

export const ZONES: readonly BaselZone[] = ['green', 'yellow', 'red'];

export const ZONE_COLOURS: Readonly<Record<BaselZone, string>> = {
  green: OKABE_ITO.bluishGreen,
  yellow: OKABE_ITO.yellow,
  red: OKABE_ITO.vermillion,
};

/** A zone's name as a label: "Green". */
export function zoneLabel(zone: BaselZone): string {
  return zone[0].toUpperCase() + zone.slice(1);
}
