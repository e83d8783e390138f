export class TrendPoint {
  /** Bucket start (UTC). */
  date!: Date;
  count!: number;
}

export class CategoryTrend {
  category!: string;
  total!: number;
  points!: TrendPoint[];
}

export class IssueTrendsResponse {
  days!: number;
  interval!: string;
  /** Every category's series over the same buckets (zeros included), by ticket creation time. */
  series!: CategoryTrend[];
  /** All categories together. */
  total!: TrendPoint[];
}
