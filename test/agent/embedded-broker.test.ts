/** Chaos suite against the broker embedded in the manager process (aedes). */
import { freePort } from './harness.js';
import { processSuite } from './process-suite.js';

processSuite({
  name: 'embedded',
  async setup() {
    const host = '127.0.20.100';
    const port = await freePort(host);
    return { manager: { host, port }, agentBroker: { host, port }, teardown: () => Promise.resolve() };
  },
});
