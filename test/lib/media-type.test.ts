import { describe, expect, it } from 'vitest';
import { isJson, isMultipart, parseMediaType } from '../../src/lib/media-type';

// Issue 10 items 9 and 17: one parser for Content-Type (RFC 9110 section 8.3.1), used everywhere.
describe('parseMediaType', () => {
  it.each([
    ['application/json', 'application/json', {}],
    ['application/json; charset=utf-8', 'application/json', { charset: 'utf-8' }],
    ['application/json ; charset=utf-8', 'application/json', { charset: 'utf-8' }],
    ['application/json;charset="utf-8"', 'application/json', { charset: 'utf-8' }],
    ['APPLICATION/JSON; Charset=UTF-8', 'application/json', { charset: 'UTF-8' }],
    [' application/json\t;\tcharset=utf-8 ;', 'application/json', { charset: 'utf-8' }],
    ['application/json;;', 'application/json', {}],
    ['Multipart/Form-Data; boundary="a b;c"', 'multipart/form-data', { boundary: 'a b;c' }],
    ['text/plain; x="a\\"b"', 'text/plain', { x: 'a"b' }],
  ])('reads %j', (header, essence, parameters) => {
    expect(parseMediaType(header)).toEqual({ essence, parameters });
  });

  it.each([
    '',
    'application',
    'application/',
    '/json',
    'application/json garbage',
    'application/json; charset',
    'application/json; charset=',
    'application/json; charset="unterminated',
    'application /json',
    'appli(cation)/json',
    'application/json, text/plain',
  ])('refuses %j', (header) => {
    expect(parseMediaType(header)).toBeNull();
  });

  it('refuses a missing header', () => {
    expect(parseMediaType(undefined)).toBeNull();
    expect(parseMediaType(null)).toBeNull();
  });
});

describe('isJson and isMultipart', () => {
  it('accept exactly their type, in any case, with any parameters', () => {
    expect(isJson('application/json ; charset=utf-8')).toBe(true);
    expect(isJson('Application/JSON')).toBe(true);
    expect(isJson('application/json-patch+json')).toBe(false);
    expect(isJson('application/ld+json')).toBe(false);
    expect(isJson('application/jsonx')).toBe(false);
    expect(isJson('text/json')).toBe(false);
    expect(isJson(undefined)).toBe(false);
    expect(isMultipart('Multipart/Form-Data; boundary=x')).toBe(true);
    expect(isMultipart('multipart/form-data;boundary=x')).toBe(true);
    expect(isMultipart('multipart/mixed; boundary=x')).toBe(false);
    expect(isMultipart('application/x-www-form-urlencoded')).toBe(false);
  });
});
