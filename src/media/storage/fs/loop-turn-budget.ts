/**
 * How many bytes all downloads together may hand to the kernel in one turn
 * of the event loop, before they wait for the next turn in arrival order.
 *
 * A download whose socket takes everything keeps going from one write's
 * callback to the next read (callbacks on process.nextTick, ahead of any
 * I/O). Each stream giving the loop back every megabyte is not enough when
 * 200 of them start together: the kernel then takes several megabytes per
 * socket, and one turn of the loop carried 200 MiB of copying, so a seek (a
 * new request needs four or five turns: accept, head, open, read) waited
 * 0.7 s, and new viewers waited as long for their first byte. A budget shared
 * by every stream bounds a turn instead, whatever the number of streams; a
 * lone fast download still moves a whole budget per turn.
 *
 * One per process (per event loop), hence a module-level instance below.
 * Written by hand: no library schedules writes across streams by the loop's
 * turns.
 */
export class LoopTurnBudget {
  private spent = 0;
  private turnScheduled = false;
  // A FIFO of resumptions; `head` instead of shift() keeps dequeuing O(1).
  private waiting: Array<() => void> = [];
  private head = 0;

  constructor(private readonly bytesPerTurn: number) {}

  /** Counts `bytes` handed to the kernel in this turn. */
  spend(bytes: number): void {
    this.spent += bytes;
    this.scheduleTurn();
  }

  /** Whether this turn's budget is used up: the caller should defer(). */
  get exhausted(): boolean {
    return this.spent >= this.bytesPerTurn;
  }

  /** Runs `resume` in a later turn, after those deferred before it. */
  defer(resume: () => void): void {
    this.waiting.push(resume);
    this.scheduleTurn();
  }

  /** Deferred resumptions not yet run (for tests and diagnostics). */
  get pending(): number {
    return this.waiting.length - this.head;
  }

  private scheduleTurn(): void {
    if (!this.turnScheduled) {
      this.turnScheduled = true;
      setImmediate(this.nextTurn);
    }
  }

  private readonly nextTurn = (): void => {
    this.turnScheduled = false;
    this.spent = 0;
    // Only those waiting now: a stream deferred again during this turn goes
    // to the back, behind the ones that have not had their share yet.
    const end = this.waiting.length;
    while (this.head < end && this.spent < this.bytesPerTurn) {
      const resume = this.waiting[this.head];
      this.head++;
      resume();
    }
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else {
      this.scheduleTurn();
    }
  };
}

/** Bytes per loop turn for every download of the process; see LoopTurnBudget. */
export const SEND_BYTES_PER_TURN = 1024 * 1024;

export const sendBudget = new LoopTurnBudget(SEND_BYTES_PER_TURN);
