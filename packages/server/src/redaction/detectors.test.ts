import { describe, expect, it } from 'vitest';
import { apiKeyDetector } from './api-key-detector.ts';
import { cardDetector, luhnValid } from './card-detector.ts';
import { applyDetector, type Detector } from './detector.ts';
import { emailDetector } from './email-detector.ts';
import { ibanChecksumValid, ibanDetector } from './iban-detector.ts';
import { phoneDetector } from './phone-detector.ts';

function redact(detector: Detector, text: string): string {
  return applyDetector(detector, text, '<X>', { count: 0 });
}

function expectFound(detector: Detector, cases: ReadonlyArray<[string, string]>): void {
  for (const [text, expected] of cases) expect(redact(detector, text), text).toBe(expected);
}

function expectKept(detector: Detector, texts: readonly string[]): void {
  for (const text of texts) expect(redact(detector, text), text).toBe(text);
}

describe('email detector', () => {
  it('finds addresses in text, JSON and URLs', () => {
    expectFound(emailDetector, [
      ['write to jane.doe+tag@example.co.uk.', 'write to <X>.'],
      ['{"to":"a_b-c%d@sub.mail-host.io"}', '{"to":"<X>"}'],
      ['mailto:ops@corp.example.com?subject=hi', 'mailto:<X>?subject=hi'],
      ['x@y.com and z@w.org', '<X> and <X>'],
    ]);
  });
  it('leaves handles, decorators and versions', () => {
    expectKept(emailDetector, [
      '@user said hi',
      'npm i @scope/pkg@1.2.3',
      'a@b',
      'user@localhost',
      '@Component()',
    ]);
  });
  it('is linear on hostile input', () => {
    const started = performance.now();
    redact(emailDetector, `${'a'.repeat(100_000)}@!`);
    redact(emailDetector, `${'a.'.repeat(50_000)}@`);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('phone detector', () => {
  it('finds international and common national formats', () => {
    expectFound(phoneDetector, [
      ['call +1 (555) 234-5678 now', 'call <X> now'],
      ['+44 20 7946 0958', '<X>'],
      ['+44 (0)20 7946 0958', '<X>'],
      ['+4915123456789.', '<X>.'],
      ['+33 6 12 34 56 78', '<X>'],
      ['0044 20 7946 0958', '<X>'],
      ['(555) 234-5678', '<X>'],
      ['555-234-5678', '<X>'],
      ['555.234.5678', '<X>'],
      ['1 555 234 5678', '<X>'],
      ['020 7946 0958', '<X>'],
      ['06 12 34 56 78', '<X>'],
      ['mobile: 0151 23456789', 'mobile: <X>'],
      ['07700900123', '<X>'],
      ['call me (0151 2345678)', 'call me (<X>)'],
      ['on 2024-01-15 555-234-5678', 'on 2024-01-15 <X>'],
    ]);
  });
  it('leaves dates, times, versions, IPs, prices and ids', () => {
    expectKept(phoneDetector, [
      '2024-01-15',
      '15.01.2024 12:30:45',
      '01/15/2024',
      '2024-01-15 10:30',
      'v10.0.19045.2364',
      '192.168.100.200',
      '$1,234,567.89',
      '1 234 567,89 €',
      'order 123456789',
      'order #0123456789',
      'ORD-2024-0012345',
      'INV-555-234-5678',
      'ts 1718000000000',
      'id 5551234567',
      '123-456-7890',
      '555-123-4567',
      '0000000000',
      'score 12 34 56 78 90',
      '1.2.3-4.5.6',
    ]);
  });
});

describe('card detector', () => {
  it('checks Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('378282246310005')).toBe(true);
  });
  it('finds Luhn-valid numbers of 13-19 digits, together or grouped', () => {
    expectFound(cardDetector, [
      ['card 4111 1111 1111 1111, exp 12/27', 'card <X>, exp 12/27'],
      ['4111-1111-1111-1111', '<X>'],
      ['5555555555554444', '<X>'],
      ['Amex 3782 822463 10005', 'Amex <X>'],
      ['6011111111111117 then', '<X> then'],
      ['4111 1111 1111 1111 20 times', '<X> 20 times'],
      ['4222222222222', '<X>'],
    ]);
  });
  it('leaves near misses', () => {
    expectKept(cardDetector, [
      '4111 1111 1111 1112',
      '1718000000000',
      '9400100000000000000000',
      '4111-1111 1111-1111',
      '41111111111111111111111',
      'v4111.1111.1111.1111',
      'ref 7992739871300',
    ]);
  });
});

describe('IBAN detector', () => {
  it('checks mod 97', () => {
    expect(ibanChecksumValid('DE89370400440532013000')).toBe(true);
    expect(ibanChecksumValid('DE89370400440532013001')).toBe(false);
    expect(ibanChecksumValid('GB82WEST12345698765432')).toBe(true);
  });
  it('finds IBANs of the right length with a valid check', () => {
    expectFound(ibanDetector, [
      ['IBAN DE89 3704 0044 0532 0130 00 thanks', 'IBAN <X> thanks'],
      ['GB82WEST12345698765432', '<X>'],
      ['fr14 2004 1010 0505 0001 3m02 606', '<X>'],
      ['to NL91ABNA0417164300.', 'to <X>.'],
      ['NO9386011117947', '<X>'],
    ]);
  });
  it('leaves near misses', () => {
    expectKept(ibanDetector, [
      'DE89 3704 0044 0532 0130 01',
      'DE89370400440532013000XYZ',
      'XX89370400440532013000',
      'AB12 CDEF GHIJ KLMN OPQR',
      'SKU AB1234567890123',
    ]);
  });
});

describe('API key detector', () => {
  it('finds each published shape', () => {
    const keys = [
      'sk-abcdefghij1234567890ABCDEFGHIJ',
      'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z_Ab3dEf6',
      'sk-ant-api03-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z',
      'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
      'rk_live_4eC39HqLyjWDarjtT1zdp7dc',
      'AKIAIOSFODNN7EXAMPLE',
      'ghp_1234567890abcdefghijABCDEFGHIJ123456',
      'gho_1234567890abcdefghijABCDEFGHIJ123456',
      'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
      'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
      'AIzaSyA-1234567890abcdefghijklmnopqrstu',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'sl_ingest_AbCdEfGhIjKlMnOpQrSt',
    ];
    for (const key of keys) expect(redact(apiKeyDetector, `key: ${key}.`), key).toBe('key: <X>.');
    const pem =
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nq7BFUAkGCSqGSIb3\n-----END RSA PRIVATE KEY-----';
    expect(redact(apiKeyDetector, `here:\n${pem}\nbye`)).toBe('here:\n<X>\nbye');
  });
  it('leaves words and ids that share a prefix', () => {
    expectKept(apiKeyDetector, [
      'task-list-management-system-overview',
      'sk-learn-is-a-python-library-for-ml',
      'AKIA1234',
      'mask-abcdefghijklmnopqrstuvwxyz0123',
      'the ghp_ prefix',
      'eyJhbGciOiJIUzI1NiJ9',
    ]);
  });
});
