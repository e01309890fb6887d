/** A server's folder: disk, user data and metadata files, and the environment its boot command sees (docs/cloud.md). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Image } from './images.js';
import type { ServerRecord } from './state.js';

/** Writes `disk/`, `user-data` and `meta_data.json` and returns the REKINDLE_* environment. */
export function prepareServerFolder(
  dir: string,
  server: ServerRecord,
  image: Image,
  ips: string[],
): Record<string, string> {
  const disk = join(dir, 'disk');
  mkdirSync(disk, { recursive: true });
  const userDataPath = join(dir, 'user-data');
  writeFileSync(
    userDataPath,
    server.user_data === null ? '' : Buffer.from(server.user_data, 'base64'),
  );
  const metadataPath = join(dir, 'meta_data.json');
  const metadata = JSON.stringify(server.metadata);
  writeFileSync(metadataPath, metadata);
  return {
    REKINDLE_SERVER_ID: server.id,
    REKINDLE_SERVER_NAME: server.name,
    REKINDLE_SERVER_IP: ips[0] ?? '',
    REKINDLE_SERVER_IPS: ips.join(','),
    REKINDLE_SERVER_DIR: dir,
    REKINDLE_DISK_PATH: disk,
    REKINDLE_USER_DATA_PATH: userDataPath,
    REKINDLE_METADATA: metadata,
    REKINDLE_METADATA_PATH: metadataPath,
    REKINDLE_BOOT_COUNT: String(server.boot_count),
    REKINDLE_IMAGE: image.name,
  };
}
