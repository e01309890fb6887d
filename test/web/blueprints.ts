/** Blueprints the browser tests upload (data for the tests, built in memory). */
import { makeTarGz } from '../manager/harness.js';

/**
 * Three nodes: app contained_in host and connected_to db. app's create script logs, then waits
 * for the `gate` file before it finishes, so a test can see events arrive while install runs.
 */
export const gatedBlueprint = `tosca_definitions_version: cloudify_dsl_1_2
imports:
  - http://www.getcloudify.org/spec/cloudify/3.3/types.yaml
inputs:
  gate:
    type: string
    description: a file the install waits for
  greeting:
    default: hello
node_types:
  web.Node:
    derived_from: cloudify.nodes.Root
  web.App:
    derived_from: cloudify.nodes.Root
    properties:
      gate: {}
      greeting: {}
node_templates:
  host:
    type: web.Node
  db:
    type: web.Node
    relationships:
      - type: cloudify.relationships.contained_in
        target: host
  app:
    type: web.App
    properties:
      gate: { get_input: gate }
      greeting: { get_input: greeting }
    relationships:
      - type: cloudify.relationships.contained_in
        target: host
      - type: cloudify.relationships.connected_to
        target: db
    interfaces:
      cloudify.interfaces.lifecycle:
        create:
          implementation: scripts/create.sh
          executor: central_deployment_agent
outputs:
  said:
    value: { get_attribute: [app, said] }
`;

const createScript = `#!/bin/bash
set -e
gate=$(ctx node properties gate)
ctx logger info "waiting for gate"
for i in $(seq 1 300); do
  if [ -f "$gate" ]; then break; fi
  sleep 0.1
done
if [ ! -f "$gate" ]; then ctx logger error "the gate never opened"; exit 1; fi
ctx logger info "gate opened"
ctx instance runtime-properties said "$(ctx node properties greeting) from the web"
`;

/** The gated blueprint as a tar.gz (blueprint.yaml + scripts/create.sh). */
export function gatedArchive(): Buffer {
  return makeTarGz({ 'blueprint.yaml': gatedBlueprint, 'scripts/create.sh': createScript });
}

/** A one-node blueprint with no operations (single YAML). */
export const tinyBlueprint = `tosca_definitions_version: cloudify_dsl_1_2
imports:
  - http://www.getcloudify.org/spec/cloudify/3.3/types.yaml
inputs:
  size:
    type: integer
    default: 1
node_templates:
  one:
    type: cloudify.nodes.Root
`;

/** A blueprint with DSL errors; the unknown type is on line 6 and the unknown target on line 10. */
export const brokenBlueprint = `tosca_definitions_version: cloudify_dsl_1_2
imports:
  - http://www.getcloudify.org/spec/cloudify/3.3/types.yaml
node_templates:
  vm:
    type: no.such.Type
  app:
    type: cloudify.nodes.Root
    relationships:
      - target: nowhere
        type: cloudify.relationships.contained_in
`;
