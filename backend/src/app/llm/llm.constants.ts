/** Injection token of the `Pricing` built from `pricing/model-prices.json`. */
export const PRICING = Symbol('PRICING');
