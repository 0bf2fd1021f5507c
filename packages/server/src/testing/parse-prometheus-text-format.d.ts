// The part of parse-prometheus-text-format's API the metrics tests use (the package ships no types).
declare module 'parse-prometheus-text-format' {
  /** One labelled sample; histograms and summaries carry their parts instead of `value`. */
  export interface PromSample {
    value?: string;
    labels?: Record<string, string>;
    buckets?: Record<string, string>;
    count?: string;
    sum?: string;
  }
  export interface PromFamily {
    name: string;
    help: string;
    type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
    metrics: PromSample[];
  }
  export default function parsePrometheusTextFormat(text: string): PromFamily[];
}
