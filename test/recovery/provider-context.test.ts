/** The provider context the manager_configuration node uploads: the agents' broker is the port's fixed IP. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProviderContext } from '../../src/plugins/builtin/rekindle_manager/index.js';

test("the agents' broker and REST host are the manager's private IP; manager_ip is the floating IP", () => {
  const context = buildProviderContext(
    { resources_prefix: 'x-', cloudify_agent: { user: 'ubuntu', min_workers: 0 } },
    { privateIp: '127.60.0.2', publicIp: '127.100.0.3', restPort: 8101, brokerPort: 53333 },
  );
  assert.deepEqual(context, {
    cloudify: {
      resources_prefix: 'x-',
      manager_ip: '127.100.0.3',
      cloudify_agent: { user: 'ubuntu', min_workers: 0, broker_ip: '127.60.0.2', broker_port: 53333, rest_host: '127.60.0.2', rest_port: 8101 },
    },
  });
});
