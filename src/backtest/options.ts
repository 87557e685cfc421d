import { z } from 'zod';
import { MlcycleError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';

/** Broker fees charged on every order (every change of exposure). */
export interface Fees {
  /** Commission as a fraction of the traded notional (0.001 = 10 bps). @defaultValue 0 */
  rate?: number;
  /** Fixed fee per order, in currency. @defaultValue 0 */
  fixed?: number;
  /** Minimum commission per order, in currency: an order pays max(rate × notional, minimum). @defaultValue 0 */
  minimum?: number;
}

/** Options of a {@link Backtester}, validated once at construction. */
export interface BacktestOptions {
  /** Starting equity, in currency. @defaultValue 10_000 */
  initialCapital?: number;
  /** Broker fees per order. */
  fees?: Fees;
  /** Slippage per side, in basis points of the traded notional. @defaultValue 0 */
  slippageBps?: number;
  /** Bid–ask spread in basis points; half of it is paid on every order. @defaultValue 0 */
  spreadBps?: number;
  /**
   * When a decision made with bar t's close is filled: `'next-open'` at bar t + 1's open (no look-ahead), or
   * `'close'` at bar t's own close (only honest when the signal is known before the close).
   * @defaultValue 'next-open'
   */
  execution?: 'next-open' | 'close';
  /**
   * Return periods per year for annualising. Inferred from the timestamps when omitted: bars per year over the
   * run, snapped to 252, 365, 52, 12, 4 or 1 when within 4% of one (so weekday bars without holidays, 260.9 a year, count as 252).
   */
  periodsPerYear?: number;
  /** Annual risk-free rate for the Sharpe and Sortino ratios. @defaultValue 0 */
  riskFreeRate?: number;
  /** Whether negative exposures (shorts) are accepted. @defaultValue true */
  allowShort?: boolean;
  /** Largest absolute exposure accepted, as a multiple of equity. @defaultValue 1 */
  maxLeverage?: number;
  /** Stop loss as a fraction of the entry price (0.05 exits a long 5% below its entry). */
  stopLoss?: number;
  /** Profit target as a fraction of the entry price (0.1 exits a long 10% above its entry). */
  takeProfit?: number;
  /** Trailing stop as a fraction below the best price since entry (above it for shorts). */
  trailingStop?: number;
}

/** Options with every default filled in. */
export interface ResolvedBacktestOptions {
  initialCapital: number;
  fees: Required<Fees>;
  slippageBps: number;
  spreadBps: number;
  execution: 'next-open' | 'close';
  periodsPerYear: number | undefined;
  riskFreeRate: number;
  allowShort: boolean;
  maxLeverage: number;
  stopLoss: number | undefined;
  takeProfit: number | undefined;
  trailingStop: number | undefined;
}

const fraction = z.number().gt(0).lt(1);
const schema = z.strictObject({
  initialCapital: z.number().positive().finite().default(10_000),
  fees: z
    .strictObject({
      rate: z.number().min(0).lt(1).default(0),
      fixed: z.number().min(0).finite().default(0),
      minimum: z.number().min(0).finite().default(0),
    })
    .default({ rate: 0, fixed: 0, minimum: 0 }),
  slippageBps: z.number().min(0).lt(10_000).default(0),
  spreadBps: z.number().min(0).lt(20_000).default(0),
  execution: z.enum(['next-open', 'close']).default('next-open'),
  periodsPerYear: z.number().positive().finite().optional(),
  riskFreeRate: z.number().gt(-1).lt(10).default(0),
  allowShort: z.boolean().default(true),
  maxLeverage: z.number().positive().finite().default(1),
  stopLoss: fraction.optional(),
  takeProfit: z.number().positive().finite().optional(),
  trailingStop: fraction.optional(),
});

/** Validates {@link BacktestOptions} and fills in the defaults. */
export function resolveBacktestOptions(options: BacktestOptions): ResolvedBacktestOptions {
  const parsed = parseOptions(schema, options, 'Backtester options');
  const cost = parsed.fees.rate + parsed.slippageBps / 1e4 + parsed.spreadBps / 2e4;
  if (cost >= 1) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `Invalid Backtester options: fees.rate + slippageBps/1e4 + spreadBps/2e4 must be below 1 (100% of the ` +
        `traded notional), received ${cost}`,
    );
  }
  return {
    ...parsed,
    periodsPerYear: parsed.periodsPerYear,
    stopLoss: parsed.stopLoss,
    takeProfit: parsed.takeProfit,
    trailingStop: parsed.trailingStop,
  };
}

/** Whether any stop or target is set, so that the simulation needs the bars' open, high and low. */
export function hasStops(options: ResolvedBacktestOptions): boolean {
  return (
    options.stopLoss !== undefined || options.takeProfit !== undefined || options.trailingStop !== undefined
  );
}
