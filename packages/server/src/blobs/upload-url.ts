// Where remote workers PUT outputs on the disk blob store: this server's signed upload route. The
// signature covers the method, so a GET URL can never be replayed as an upload and vice versa.
export const UPLOAD_ROUTE = '/v1/worker/uploads/';
