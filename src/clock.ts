/** Today's date, injectable so answers about windows and deadlines can be tested for any day. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(isoDate: string): Clock {
  const at = new Date(isoDate.length === 10 ? `${isoDate}T12:00:00+08:00` : isoDate);
  if (Number.isNaN(at.getTime())) throw new Error(`invalid date for clock: ${isoDate}`);
  return { now: () => new Date(at) };
}

/** Today in China Standard Time (UTC+8), as YYYY-MM-DD: the policies' own calendar. */
export function todayIn(clock: Clock): string {
  const shifted = new Date(clock.now().getTime() + 8 * 3_600_000);
  return shifted.toISOString().slice(0, 10);
}
