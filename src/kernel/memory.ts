import { FordelingError } from "../errors.js";

/**
 * A shared-memory arena: one shared WebAssembly.Memory, sized once up front and carved into
 * blocks by a bump allocator before any worker starts.
 *
 * Why: growing a non-shared memory or transferring a buffer detaches ArrayBuffers, which slows
 * every typed-array loop in the process afterwards; a shared memory is never detached and is
 * handed to workers without copying (docs/ABI.md, "The arena"). So callers add up what they need first:
 *
 *   const capacity = SharedArena.capacityFor([TABLES_BYTES, SUMS_BYTES * 9, fileBytes]);
 *   const arena = new SharedArena(capacity);
 *   const tables = arena.reserve(TABLES_BYTES);          // byte address, 64-byte aligned
 *   arena.float64(sums, n)                               // typed views over a block
 *   makeKernelPool({ memory: arena.memory, ... })        // src/kernel/pool.ts
 *
 * Address 0…65535 is never handed out, so 0 can mean "no block" in kernel arguments.
 */

export const ARENA_RESERVED_BYTES = 65_536;
export const ARENA_ALIGN_BYTES = 64;
export const WASM_PAGE_BYTES = 65_536;
/** wasm32 addresses 4 GiB; the module declares that maximum. */
export const MAX_ARENA_PAGES = 65_536;

/** A shared memory of at least `byteLength` bytes, never grown afterwards. */
export function makeKernelMemory(byteLength: number, maximumPages = MAX_ARENA_PAGES): WebAssembly.Memory {
  const pages = Math.ceil(byteLength / WASM_PAGE_BYTES);
  if (pages > MAX_ARENA_PAGES) {
    throw new FordelingError(
      "FD_ERR_KERNEL",
      `the input needs ${(byteLength / 2 ** 30).toFixed(2)} GiB of kernel memory; one kernel memory holds at most 4 GiB`,
    );
  }
  return new WebAssembly.Memory({ initial: pages, maximum: maximumPages, shared: true });
}

export function alignUp(value: number, align: number): number {
  return Math.ceil(value / align) * align;
}

/**
 * The bump allocator on its own: block addresses planned before the memory exists (the
 * projection's step memory, src/kernel/step/slots.ts, is laid out this way, then created).
 */
export class ArenaPlan {
  readonly capacity: number;
  #next = ARENA_RESERVED_BYTES;

  /** The capacity that fits blocks of these sizes, each aligned to ARENA_ALIGN_BYTES. */
  static capacityFor(blockBytes: readonly number[]): number {
    return blockBytes.reduce((total, bytes) => total + alignUp(bytes, ARENA_ALIGN_BYTES), ARENA_RESERVED_BYTES);
  }

  constructor(capacity = Number.POSITIVE_INFINITY) {
    this.capacity = capacity;
  }

  /** Reserves a block and returns its byte address. Blocks are zero when the memory is new. */
  reserve(byteLength: number, align = ARENA_ALIGN_BYTES): number {
    const address = alignUp(this.#next, align);
    if (address + byteLength > this.capacity) {
      throw new RangeError(`arena overflow: ${byteLength} bytes at ${address} exceed the planned ${this.capacity}`);
    }
    this.#next = address + byteLength;
    return address;
  }

  get usedBytes(): number {
    return this.#next;
  }
}

export class SharedArena extends ArenaPlan {
  readonly memory: WebAssembly.Memory;
  /** All of the memory as bytes; stays valid because the memory is never grown. */
  readonly bytes: Uint8Array;

  constructor(capacity: number, memory: WebAssembly.Memory = makeKernelMemory(capacity)) {
    super(capacity);
    this.memory = memory;
    this.bytes = new Uint8Array(memory.buffer);
    if (this.bytes.byteLength < capacity) throw new RangeError(`memory holds ${this.bytes.byteLength} bytes, arena needs ${capacity}`);
  }

  float64(address: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, address, length);
  }

  uint32(address: number, length: number): Uint32Array {
    return new Uint32Array(this.memory.buffer, address, length);
  }

  int32(address: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, address, length);
  }

  subarray(address: number, byteLength: number): Uint8Array {
    return this.bytes.subarray(address, address + byteLength);
  }
}
