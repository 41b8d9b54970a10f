// Preloaded (node --require) by the bench's measured processes: `*.localhost` resolves to 127.0.0.1, as it does on
// systems with systemd-resolved, so virtual-hosted S3 names and S3 Control's account-id host prefix reach the
// stand-in. Plain CommonJS so it loads without a TypeScript loader and costs the same in every measured process.
const dns = require('node:dns');
const lookup = dns.lookup;
dns.lookup = function localhostLookup(hostname, options, callback, ...rest) {
  if (typeof hostname === 'string' && (hostname === 'localhost' || hostname.endsWith('.localhost'))) {
    const done = typeof options === 'function' ? options : callback;
    const all = typeof options === 'object' && options !== null && options.all;
    if (all) process.nextTick(done, null, [{ address: '127.0.0.1', family: 4 }]);
    else process.nextTick(done, null, '127.0.0.1', 4);
    return;
  }
  return lookup.call(this, hostname, options, callback, ...rest);
};
