/*
 * Strict mode's convolutions fuse each step: sum = fma(w, x, sum), one
 * rounding where a multiply and an add take two, in the order the kernel
 * documents (gemm.c: p = 0, 1, ...; depthwise.c: ky, kx). IEEE 754 defines
 * the fused multiply-add to the bit, so every machine that has one gives
 * the same sums. The files that include this header are built with
 * contraction in strict mode too (tinylib/module.mk's STRICT_FUSED_KERNELS,
 * ta/sub.mk), so that GCC makes each `sum += w * x` one instruction, and
 * at -O2 with GCC's avoid-fma-max-bits at 0: below -O2, or tuned for AMD's
 * Zen cores, GCC leaves some steps a multiply and an add.
 *
 * Why: on an Intel core whose two vector units each take a multiply, an
 * add or a fused multiply-add, a multiply and an add apart held strict
 * mode to half the FMA peak, 1.27-1.54x fast mode's time (make bench, a
 * Xeon with AVX-512; fused, and 8 x 32 tiles as in fast mode: 1.02-1.12x).
 * On the board's Cortex-A53 it halves the instructions of a step
 * (smartzone verify: cifar's strict estimate 706 -> 361 ms, as fast
 * mode's).
 *
 * x86-64 has the instruction from Haswell (2013) on, behind -mfma; without
 * it GCC would round each product apart and the bits would differ from
 * the board's, so such a build stops here.
 */
#ifndef TL_FUSED_STEPS_H
#define TL_FUSED_STEPS_H

#if !defined(TL_FAST) && defined(__x86_64__) && !defined(__FMA__)
#error "strict mode's convolutions fuse each multiply-add: build with -mfma"
#endif

#endif /* TL_FUSED_STEPS_H */
