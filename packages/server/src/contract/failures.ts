// Failure codes of contract §3.4: retry policy and the documented failure_reason texts.
import type { FailureCode } from './wire.js';

export interface FailureInfo {
  /** Retrying the same job may succeed (contract §3.4 "Retry?"). */
  retryable: boolean;
  /** Default failure_reason (documented text where Luma documents one). */
  reason: string;
}

export const FAILURES: Readonly<Record<FailureCode, FailureInfo>> = {
  content_moderated: {
    retryable: false,
    reason: 'Generation output was flagged by our content moderation system.',
  },
  generation_failed: { retryable: true, reason: 'Generation failed' },
  budget_exhausted: { retryable: false, reason: 'Insufficient credits to complete this generation.' },
  output_not_found: { retryable: true, reason: 'Output artifacts not found' },
  image_too_large: { retryable: false, reason: 'Input image exceeds the size limit' },
  unsupported_format: { retryable: false, reason: 'Input file format is not supported' },
  corrupt_input: { retryable: false, reason: 'Input file could not be decoded' },
  invalid_request: { retryable: false, reason: 'The request is invalid' },
  rate_limited: { retryable: true, reason: 'The model provider is throttling requests; try again later' },
};
