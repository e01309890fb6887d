/**
 * Images: a table `name -> how to boot`. Booting a server runs the image's `command` with bash in
 * the server folder, in a new process group whose leader is a small keeper (`sleep infinity`), so
 * the server stays "up" after its boot script ends, until it is stopped, deleted or crashed.
 *
 * The command sees these environment variables:
 * REKINDLE_SERVER_ID, REKINDLE_SERVER_NAME, REKINDLE_SERVER_IP (first fixed IP), REKINDLE_SERVER_IPS
 * (comma separated), REKINDLE_SERVER_DIR, REKINDLE_DISK_PATH, REKINDLE_USER_DATA_PATH (empty file
 * when no user data), REKINDLE_METADATA (JSON), REKINDLE_METADATA_PATH, REKINDLE_BOOT_COUNT
 * (1 on the first boot), REKINDLE_IMAGE.
 */
import { createHash } from 'node:crypto';

/** How to boot one image. */
export interface ImageSpec {
  /** Bash script run at every boot (stdout/stderr go to console.log in the server folder). */
  command: string;
  /** Shown in the image's `metadata.description`. */
  description?: string;
}

/** A compiled image: the spec plus its stable id. */
export interface Image extends ImageSpec {
  id: string;
  name: string;
}

/** The `rekindle-host` boot script: runs the user data (cloud-init style) with bash. */
export const HOST_IMAGE_COMMAND =
  'if [ -s "$REKINDLE_USER_DATA_PATH" ]; then exec bash "$REKINDLE_USER_DATA_PATH"; fi';

/** Builds the image table: the two shipped images, then the configured ones (which may replace them). */
export function buildImageTable(
  managerCommand: string | undefined,
  extra: Record<string, ImageSpec>,
): Map<string, Image> {
  const specs: Record<string, ImageSpec> = {
    'rekindle-host': {
      command: HOST_IMAGE_COMMAND,
      description: 'Runs its user data as a bash script at boot',
    },
    'rekindle-manager': {
      command: managerCommand ?? '',
      description:
        'Boots the command configured as REKINDLE_MANAGER_IMAGE_COMMAND (or managerImageCommand)',
    },
    ...extra,
  };
  const table = new Map<string, Image>();
  for (const [name, spec] of Object.entries(specs))
    table.set(name, { ...spec, name, id: imageId(name) });
  return table;
}

/** A stable UUID-shaped id derived from the image name (same id across restarts and hosts). */
export function imageId(name: string): string {
  const hex = createHash('sha256').update(`rekindle-image:${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Flavors: fixed sizes; they change nothing about a process but clients need them. */
export interface Flavor {
  id: string;
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
}

/** The flavor table. */
export const FLAVORS: readonly Flavor[] = [
  { id: '1', name: 'm1.tiny', ram: 512, vcpus: 1, disk: 1 },
  { id: '2', name: 'm1.small', ram: 2048, vcpus: 1, disk: 20 },
  { id: '3', name: 'm1.medium', ram: 4096, vcpus: 2, disk: 40 },
  { id: '4', name: 'm1.large', ram: 8192, vcpus: 4, disk: 80 },
];
