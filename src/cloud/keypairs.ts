/** SSH key generation and fingerprints for Nova keypairs. */
import { createHash, generateKeyPairSync } from 'node:crypto';

function sshString(data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
}

function sshMpint(data: Buffer): Buffer {
  const padded = (data[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), data]) : data;
  return sshString(padded);
}

/** A new RSA keypair: OpenSSH public key and PEM (PKCS#1) private key. */
export function generateSshKeypair(comment: string): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const blob = Buffer.concat([
    sshString(Buffer.from('ssh-rsa')),
    sshMpint(Buffer.from(jwk.e!, 'base64url')),
    sshMpint(Buffer.from(jwk.n!, 'base64url')),
  ]);
  return {
    publicKey: `ssh-rsa ${blob.toString('base64')} ${comment}`,
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs1' }).toString(),
  };
}

/** Legacy MD5 fingerprint (`aa:bb:...`) of an OpenSSH public key, or undefined when it is not one. */
export function sshFingerprint(publicKey: string): string | undefined {
  const [type, data] = publicKey.trim().split(/\s+/);
  if (!type || !data || !/^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521))$/.test(type))
    return undefined;
  const blob = Buffer.from(data, 'base64');
  if (
    blob.length < 8 ||
    blob.toString('base64') !==
      data.replace(/=+$/, '') + '='.repeat((4 - (data.replace(/=+$/, '').length % 4)) % 4)
  )
    return undefined;
  return createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');
}
