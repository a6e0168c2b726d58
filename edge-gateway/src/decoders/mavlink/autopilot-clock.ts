/**
 * Unix times before this are a clock that was never set: 2009-02-13T23:31:30Z, the threshold PX4 uses
 * (`PX4_EPOCH_SECS`) to tell a real time from one counted from its RTC's zero. ArduPilot sends 0 until its
 * GPS has given it the time.
 */
export const MIN_PLAUSIBLE_UNIX_MS = 1_234_567_890_000;
/** Past this a Unix time is garbage (and past the wire contract's range long before uint64's end). */
export const MAX_PLAUSIBLE_UNIX_MS = 4_102_444_800_000; // 2100-01-01T00:00:00Z

/**
 * How far `time_boot_ms` may step back without a reboot. Frames can arrive out of order (a radio's or
 * router's buffers; `node-mavlink-vtol.tlog` steps back 1.44 s once) and GLOBAL_POSITION_INT carries the
 * time of its estimate, a little before the frame was sent. A reboot starts the count again from zero,
 * so it steps back by the whole time the autopilot had been up.
 */
export const REBOOT_STEP_BACK_MS = 5_000;

/** The Unix time in ms of a MAVLink `time_unix_usec`/`time_usec` field, or null when it is not a plausible one. */
export function plausibleUnixMs(usec: bigint | number): number | null {
  const ms = Number(BigInt(usec) / 1000n);
  return ms >= MIN_PLAUSIBLE_UNIX_MS && ms <= MAX_PLAUSIBLE_UNIX_MS ? ms : null;
}

/**
 * One MAVLink component's boot clock tied to Unix time by its SYSTEM_TIME (message 2): a SYSTEM_TIME with
 * a plausible `time_unix_usec` gives the offset, and a later `time_boot_ms` of the same component maps to
 * `unixMs_at_sync + (time_boot_ms - time_boot_ms_at_sync)`. The newest SYSTEM_TIME replaces the offset
 * (GPS-synced autopilots send one about every second). A `time_boot_ms` more than
 * {@link REBOOT_STEP_BACK_MS} before the latest one seen is a reboot (or the uint32 wrap after 49.7 days):
 * the offset is dropped until the next SYSTEM_TIME. A SYSTEM_TIME without a Unix time (0) leaves an offset
 * of the same boot in place: the boot clock has not changed. A reboot that the link does not see (the link
 * down for longer than the autopilot had been up before) keeps the old offset until the next SYSTEM_TIME.
 *
 * Everything here is a function of the stream's content, never of receipt time, so a feed replayed at any
 * speed is stamped the same.
 */
export class AutopilotClock {
  private sync: { unixMs: number; bootMs: number } | null = null;
  private latestBootMs: number | null = null;
  private rebootCount = 0;

  /** A SYSTEM_TIME from this component. Returns whether the clock is now synced. */
  systemTime(timeUnixUsec: bigint | number, timeBootMs: number): boolean {
    this.observeBoot(timeBootMs);
    const unixMs = plausibleUnixMs(timeUnixUsec);
    if (unixMs !== null) this.sync = { unixMs, bootMs: timeBootMs };
    return this.sync !== null;
  }

  /**
   * The Unix time of a `time_boot_ms` this component just sent (checked for a reboot first); null when not
   * synced.
   */
  stamp(timeBootMs: number): number | null {
    this.observeBoot(timeBootMs);
    return this.unixMsOf(timeBootMs);
  }

  /**
   * The Unix time of a boot-clock time that may lag the stream (GPS_RAW_INT's `time_usec` is the GPS's last
   * fix): it is not taken as a sign of a reboot, and one that lies too far back for this boot gives null.
   */
  convert(timeBootMs: number): number | null {
    if (this.latestBootMs !== null && timeBootMs < this.latestBootMs - REBOOT_STEP_BACK_MS) return null;
    return this.unixMsOf(timeBootMs);
  }

  get synced(): boolean {
    return this.sync !== null;
  }

  /** Reboots seen so far. */
  get reboots(): number {
    return this.rebootCount;
  }

  private unixMsOf(timeBootMs: number): number | null {
    return this.sync ? this.sync.unixMs + (timeBootMs - this.sync.bootMs) : null;
  }

  private observeBoot(timeBootMs: number): void {
    if (this.latestBootMs !== null && timeBootMs < this.latestBootMs - REBOOT_STEP_BACK_MS) {
      this.rebootCount++;
      this.sync = null;
      this.latestBootMs = timeBootMs;
      return;
    }
    this.latestBootMs = this.latestBootMs === null ? timeBootMs : Math.max(this.latestBootMs, timeBootMs);
  }
}
