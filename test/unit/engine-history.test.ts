import { describe, expect, it } from '@jest/globals';
import {
  createEngineHistory,
  engineWebUrl,
  fromEngineDate,
  toEngineDate,
} from '../../src/engine/history.js';
import { createEngineRest } from '../../src/engine/rest.js';

describe('engine history: dates, addresses', () => {
  it('given a date, then the engine gets its REST format (…+0000) and its answers read back as ISO UTC', () => {
    const d = new Date('2026-03-19T12:00:00.000Z');
    expect(toEngineDate(d)).toBe('2026-03-19T12:00:00.000+0000');
    expect(fromEngineDate('2026-03-19T16:00:00.000+0400')).toBe('2026-03-19T12:00:00.000Z');
    expect(fromEngineDate('2026-03-19T12:00:00.000+0000')).toBe('2026-03-19T12:00:00.000Z');
    expect(fromEngineDate(null)).toBeNull();
  });

  it('given the engine REST address, then Cockpit links point at its web address', () => {
    expect(engineWebUrl('http://127.0.0.1:8080/engine-rest/')).toBe('http://127.0.0.1:8080');
    const rest = createEngineRest({
      url: 'http://127.0.0.1:1/engine-rest',
      user: 'u',
      password: 'p',
    });
    expect(
      createEngineHistory(rest, { webUrl: 'https://engine.example.az/' }).cockpitUrl('abc-1'),
    ).toBe('https://engine.example.az/operaton/app/cockpit/default/#/process-instance/abc-1');
    expect(createEngineHistory(rest).cockpitUrl('abc-1')).toBeNull();
  });
});
