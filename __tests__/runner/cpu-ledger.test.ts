import { describe, expect, it } from 'vitest';
import { CpuLedger, type CpuReading } from '../../src/runner/cpu-ledger.js';

const proc = (
  pid: number,
  ppid: number,
  cpuSeconds: number,
  childCpuSeconds = 0,
  start = pid,
): CpuReading => ({ pid, ppid, start, cpuSeconds, childCpuSeconds });

describe('CpuLedger', () => {
  it('counts the whole CPU time of a process seen for the first time', () => {
    const ledger = new CpuLedger();
    expect(ledger.update([proc(10, 1, 0.5), proc(11, 10, 1.25)])).toBeCloseTo(1.75);
  });

  it('adds what each known process used since the previous reading', () => {
    const ledger = new CpuLedger();
    ledger.update([proc(10, 1, 0.5)]);
    expect(ledger.update([proc(10, 1, 1.5)])).toBeCloseTo(1.5);
    expect(ledger.update([proc(10, 1, 1.5)])).toBeCloseTo(1.5);
  });

  it('finds a child never seen in its parent’s reaped-children time', () => {
    const ledger = new CpuLedger();
    ledger.update([proc(10, 1, 0.1)]);
    // A child ran 0.3 s between the readings and was waited for.
    expect(ledger.update([proc(10, 1, 0.1, 0.3)])).toBeCloseTo(0.4);
  });

  it('does not count twice a child seen, then ended and waited for', () => {
    const ledger = new CpuLedger();
    ledger.update([proc(10, 1, 0.1), proc(11, 10, 0.5)]);
    // The child used 0.2 s more, then ended; its parent's children time holds all of its 0.7 s.
    expect(ledger.update([proc(10, 1, 0.1, 0.7)])).toBeCloseTo(0.8);
  });

  it('carries what is owed once when the parent was read before the child was waited for', () => {
    const ledger = new CpuLedger();
    ledger.update([proc(10, 1, 0.1), proc(11, 10, 0.5)]);
    // The child is gone, but the parent's counters were read just before it waited for it.
    expect(ledger.update([proc(10, 1, 0.1, 0)])).toBeCloseTo(0.6);
    expect(ledger.update([proc(10, 1, 0.1, 0.6)])).toBeCloseTo(0.7);
  });

  it('gives an ended child whose parent ended too to the nearest living ancestor', () => {
    const ledger = new CpuLedger();
    ledger.update([proc(10, 1, 0), proc(11, 10, 0.2), proc(12, 11, 0.3)]);
    // 12 then 11 ended and were waited for: 10's children time holds both, 0.3 + 0.4 more.
    expect(ledger.update([proc(10, 1, 0, 1.2)])).toBeCloseTo(1.2);
  });

  it('counts the root’s remaining time through the reaper outside the tree', () => {
    const ledger = new CpuLedger({ pid: 1, childCpuSeconds: 5 });
    ledger.update([proc(10, 1, 0.5)], 5);
    // The root used 0.25 s more and ended; the reaper's children time grew by its 0.75 s.
    expect(ledger.update([], 5.75)).toBeCloseTo(0.75);
  });

  it('tells a reused pid from the process seen before', () => {
    const ledger = new CpuLedger();
    ledger.update([proc(10, 1, 2, 0, 100)]);
    expect(ledger.update([proc(10, 1, 0.5, 0, 200)])).toBeCloseTo(2.5);
  });

  it('never goes down when a counter does', () => {
    const ledger = new CpuLedger();
    ledger.update([proc(10, 1, 2, 1)]);
    expect(ledger.update([proc(10, 1, 1, 0)])).toBeCloseTo(3);
  });
});
