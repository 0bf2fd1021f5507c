// Every route the server registers, as the OpenAPI document describes it: method, path, who may call it,
// its parameters, its request body (the field tables that validate it) and its answers (the JSON Schemas
// that serialise them). The errors come from error-catalogue.ts. Adding a route to http/ means adding it
// here; a test fails until both agree. Pure data.
import { FILE_OPERATIONS, GENERATION_OPERATIONS } from './api.operations.js';
import type { Operation } from './operation.js';
import { SERVICE_OPERATIONS } from './service.operations.js';
import { TENANT_OPERATIONS } from './tenant.operations.js';

export {
  TAGS,
  type Answer,
  type Auth,
  type Operation,
  type Param,
  type RequestBody,
  type Tag,
} from './operation.js';

/** Every route, in the order of the reference page. */
export const OPERATIONS: readonly Operation[] = [
  ...GENERATION_OPERATIONS,
  ...FILE_OPERATIONS,
  ...TENANT_OPERATIONS,
  ...SERVICE_OPERATIONS,
];
