// The field app renders in the browser from the tablet's own database, so it works with no
// network at all; the server only sends an empty shell (also prerendered as /field-shell for
// the service worker's navigation fallback).
export const ssr = false;
