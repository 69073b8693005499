/**
 * The masking of personal numbers (src/text/personal-data.ts), for the routes that mask what they log or echo.
 * The stores mask every free-text column themselves (src/db/store.ts, src/db/staff-store.ts).
 *
 * @example
 * maskPersonalData('我的手机13912345678') // '我的手机139****5678'
 */
export { maskPersonalData } from '../text/personal-data.ts';
