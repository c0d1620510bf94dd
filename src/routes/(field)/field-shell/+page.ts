// Prerendered, data-free HTML the service worker answers every /field/* navigation with when
// offline; the client router then renders the real route from the tablet's database.
export const prerender = true;
