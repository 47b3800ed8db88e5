import { describe, expect, it } from 'vitest';
import { checkOutboundUrl, isForbiddenAddress } from '../../src/webhooks/webhook.guard.js';

describe('the outbound address guard', () => {
  it('refuses internal addresses and accepts public ones', () => {
    const refused = [
      '127.0.0.1',
      '127.8.9.10',
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.251',
      '255.255.255.255',
      '::',
      '::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:8.8.8.8',
      'fc00::1',
      'fd00:ec2::254',
      'fe80::1',
      'fe80::1%eth0',
      'ff02::1',
      '64:ff9b::7f00:1',
      'not an address',
    ];
    for (const a of refused) expect(isForbiddenAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '93.184.215.14', '172.32.0.1', '2606:4700:4700::1111', '2a00:1450:4001::200e']) {
      expect(isForbiddenAddress(a), a).toBe(false);
    }
  });

  it('checks what a host name resolves to, and trusts nothing when private addresses are allowed only', async () => {
    const resolve = async (host: string) => (host === 'inside.example' ? ['8.8.8.8', '10.0.0.5'] : ['8.8.4.4']);
    await expect(checkOutboundUrl('https://inside.example/hook', { allowPrivate: false, resolve })).rejects.toMatchObject({
      status: 422,
      field: 'url',
    });
    await expect(checkOutboundUrl('https://outside.example/hook', { allowPrivate: false, resolve })).resolves.toBeInstanceOf(URL);
    await expect(
      checkOutboundUrl('https://nowhere.example/hook', {
        allowPrivate: false,
        resolve: async () => {
          throw new Error('ENOTFOUND');
        },
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(checkOutboundUrl('http://127.0.0.1:1/hook', { allowPrivate: true })).resolves.toBeInstanceOf(URL);
    // Scheme and credentials are checked whatever the setting.
    await expect(checkOutboundUrl('file:///etc/passwd', { allowPrivate: true })).rejects.toMatchObject({ status: 422 });
    await expect(checkOutboundUrl('http://a:b@127.0.0.1/', { allowPrivate: true })).rejects.toMatchObject({ status: 422 });
  });
});
