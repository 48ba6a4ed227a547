/** The Date scalar is the kernel's (reports uses it too): one definition for every subgraph. */
export { DateScalar } from '@cascade/kernel';
