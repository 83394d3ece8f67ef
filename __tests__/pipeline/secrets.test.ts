import { describe, expect, it } from 'vitest';

import { headerSecrets, redact } from '../../src/pipeline/secrets.js';

describe('headerSecrets', () => {
  it('masks a bearer token alone, as a server that echoes only the token would print it', () => {
    const secrets = headerSecrets({ Authorization: 'Bearer tok-9f8e7d6c', 'X-Api-Key': 'k3y-123' });
    expect(secrets).toEqual(
      expect.arrayContaining(['Bearer tok-9f8e7d6c', 'tok-9f8e7d6c', 'k3y-123']),
    );
    expect(redact('401: unknown token tok-9f8e7d6c', secrets)).toBe('401: unknown token ***');
  });

  it('masks Basic credentials encoded, decoded and the password alone', () => {
    const basic = Buffer.from('ci:pw-S3cr3t!x').toString('base64');
    const secrets = headerSecrets({ Authorization: `Basic ${basic}` });
    expect(secrets).toEqual(expect.arrayContaining([basic, 'ci:pw-S3cr3t!x', 'pw-S3cr3t!x']));
    expect(secrets).toContain(encodeURIComponent('pw-S3cr3t!x'));
  });

  it('keeps ordinary words of a header readable: no short credential, no tenant name split', () => {
    expect(headerSecrets({ 'X-Scope-OrgID': 'team-a' })).toEqual(['team-a']);
    // "a b" would mask every "b" in the log: credentials under 4 characters are masked whole only.
    expect(headerSecrets({ Authorization: 'Token abc' })).toEqual(['Token abc']);
    expect(headerSecrets({ 'X-Tenant': '' })).toEqual([]);
  });

  it('does not take a non-Basic value for base64', () => {
    expect(headerSecrets({ Authorization: 'Basic not-base64!' })).toEqual([
      'Basic not-base64!',
      'not-base64!',
    ]);
  });
});
