/** This package's version, sent as `X-Stainless-Package-Version` and in the User-Agent. */
export const VERSION = '0.1.0';
