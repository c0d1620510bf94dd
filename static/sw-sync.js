// Imported into the generated service worker. Background Sync is only a trigger: when the
// browser says the network is back, open field pages are told to run their own sync engine.
self.addEventListener('sync', (event) => {
	if (event.tag !== 'doorstep-sync') return;
	event.waitUntil(
		self.clients
			.matchAll({ type: 'window', includeUncontrolled: true })
			.then((clients) => clients.forEach((client) => client.postMessage({ type: 'doorstep-sync' })))
	);
});
