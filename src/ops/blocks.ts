// Typed wrapper of assembly/blocks.ts: a block of positions copied between channels-last images.
import type { Backend } from '../runtime/backend.js';

/** An image's size and where the block starts in it. */
export interface BlockSide {
  ptr: number;
  height: number;
  width: number;
  top: number;
  left: number;
}

/** For each of `batch` images: dst zeroed first when `zeroDst`, then rows × cols positions copied from src. */
export function copyBlock(be: Backend, src: BlockSide, dst: BlockSide, channels: number, rows: number, cols: number, zeroDst: boolean, batch: number): void {
  be.launch('copyBlock', [src.ptr, src.height, src.width, dst.ptr, dst.height, dst.width, channels, rows, cols, src.top, src.left, dst.top, dst.left, zeroDst ? 1 : 0],
    batch, 1, batch * dst.height * dst.width * channels);
}
