// The exported ABI of the fordeling kernel. docs/ABI.md draws the memory layout.
export { ABI_VERSION as abiVersion } from "./layout";
