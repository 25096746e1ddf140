// Instructions whose decoding test_insn_decode checks (sim_insn.h). The
// build assembles this file with aarch64-linux-gnu-as and keeps .text as
// raw words (tests/sim/module.mk); the n-th instruction line here is the
// n-th word. Each instruction line ends with its expectation:
//   // CLASS LOADED STORED LANES Q128 FP
// CLASS is sim_insn_class_name's; LOADED and STORED are bytes; LANES is
// simd_lanes; Q128 and FP are 1 when SIM_INSN_F_Q128 or SIM_INSN_F_FP is
// set. One instruction a line, no pseudo-instruction that expands.
	.text
// Data processing, immediate
	add	x0, x1, #16		// int 0 0 1 0 0
	subs	w2, w3, #1		// int 0 0 1 0 0
	mov	x4, #0x1234		// int 0 0 1 0 0
	movk	x4, #0x5678, lsl #16	// int 0 0 1 0 0
	adrp	x5, .			// int 0 0 1 0 0
	and	x6, x7, #0xff		// int 0 0 1 0 0
	sbfiz	x8, x9, #2, #32		// int 0 0 1 0 0
	extr	x1, x2, x3, #7		// int 0 0 1 0 0
// Data processing, register
	add	x0, x1, x2, lsl #3	// int 0 0 1 0 0
	sxtw	x1, w2			// int 0 0 1 0 0
	csel	w0, w1, w2, lt		// int 0 0 1 0 0
	ccmp	w0, #3, #0, ne		// int 0 0 1 0 0
	lslv	x1, x2, x3		// int 0 0 1 0 0
	mul	w0, w1, w2		// mul 0 0 1 0 0
	madd	x0, x1, x2, x3		// mul 0 0 1 0 0
	msub	x0, x1, x2, x3		// mul 0 0 1 0 0
	smull	x0, w1, w2		// mul 0 0 1 0 0
	umulh	x0, x1, x2		// mul 0 0 1 0 0
	udiv	w0, w1, w2		// mul 0 0 1 0 0
	sdiv	x0, x1, x2		// mul 0 0 1 0 0
// Branches, exceptions, system
	b	.			// branch 0 0 1 0 0
	bl	.			// branch 0 0 1 0 0
	b.ne	.			// branch 0 0 1 0 0
	cbz	x0, .			// branch 0 0 1 0 0
	cbnz	w1, .			// branch 0 0 1 0 0
	tbz	x2, #5, .		// branch 0 0 1 0 0
	br	x16			// branch 0 0 1 0 0
	blr	x3			// branch 0 0 1 0 0
	ret				// branch 0 0 1 0 0
	svc	#0			// system 0 0 1 0 0
	nop				// system 0 0 1 0 0
	dmb	ish			// system 0 0 1 0 0
	isb				// system 0 0 1 0 0
	mrs	x0, tpidr_el0		// system 0 0 1 0 0
	msr	tpidr_el0, x1		// system 0 0 1 0 0
// Loads and stores, integer
	ldr	x0, [x1]		// load 8 0 1 0 0
	ldr	w0, [x1, #4]		// load 4 0 1 0 0
	ldrb	w0, [x1], #1		// load 1 0 1 0 0
	ldrsh	x0, [x1, #-2]!		// load 2 0 1 0 0
	ldrsw	x0, [x1, x2, lsl #2]	// load 4 0 1 0 0
	ldur	x0, [x1, #-8]		// load 8 0 1 0 0
	ldr	w0, .			// load 4 0 1 0 0
	ldr	x0, .			// load 8 0 1 0 0
	ldrsw	x0, .			// load 4 0 1 0 0
	str	x0, [sp, #8]		// store 0 8 1 0 0
	strb	w0, [x1, x2]		// store 0 1 1 0 0
	strh	w0, [x1], #2		// store 0 2 1 0 0
	stur	w0, [x1, #-4]		// store 0 4 1 0 0
	ldp	x29, x30, [sp], #16	// load 16 0 1 0 0
	ldp	w0, w1, [x2]		// load 8 0 1 0 0
	ldpsw	x0, x1, [x2]		// load 8 0 1 0 0
	stp	x29, x30, [sp, #-32]!	// store 0 16 1 0 0
	stnp	x0, x1, [x2]		// store 0 16 1 0 0
	ldxr	w0, [x1]		// load 4 0 1 0 0
	stxr	w2, x0, [x1]		// store 0 8 1 0 0
	ldaxp	x0, x1, [x2]		// load 16 0 1 0 0
	stlr	w0, [x1]		// store 0 4 1 0 0
	ldar	x0, [x1]		// load 8 0 1 0 0
// Prefetches: LOAD with no bytes (they take the load/store pipe)
	prfm	pldl1keep, [x0, #64]	// load 0 0 1 0 0
	prfm	pldl1keep, .		// load 0 0 1 0 0
	prfum	pldl1keep, [x0, #-1]	// load 0 0 1 0 0
// Loads and stores, FP and SIMD
	ldr	s0, [x1]		// load 4 0 1 0 0
	ldr	d0, [x1, #8]		// load 8 0 1 0 0
	ldr	q0, [x1, #16]		// load 16 0 1 0 0
	ldr	q1, [x1], #16		// load 16 0 1 0 0
	ldr	h0, [x1]		// load 2 0 1 0 0
	ldr	b0, [x1]		// load 1 0 1 0 0
	ldr	q2, [x1, x2, lsl #4]	// load 16 0 1 0 0
	ldur	q3, [x1, #-16]		// load 16 0 1 0 0
	ldr	s0, .			// load 4 0 1 0 0
	ldr	d0, .			// load 8 0 1 0 0
	ldr	q0, .			// load 16 0 1 0 0
	str	s0, [x1]		// store 0 4 1 0 0
	str	d0, [x1, #8]		// store 0 8 1 0 0
	str	q0, [x1, #16]		// store 0 16 1 0 0
	stur	q0, [x1, #-16]		// store 0 16 1 0 0
	ldp	s0, s1, [x0]		// load 8 0 1 0 0
	ldp	d0, d1, [x0]		// load 16 0 1 0 0
	ldp	q0, q1, [x0], #32	// load 32 0 1 0 0
	stp	s0, s1, [x0]		// store 0 8 1 0 0
	stp	q0, q1, [x0, #32]	// store 0 32 1 0 0
	ld1	{v0.4s}, [x0]		// load 16 0 1 0 0
	ld1	{v0.2s}, [x0]		// load 8 0 1 0 0
	ld1	{v0.4s, v1.4s}, [x0], #32	// load 32 0 1 0 0
	ld1	{v0.4s-v3.4s}, [x0]	// load 64 0 1 0 0
	ld1	{v0.8b-v2.8b}, [x0]	// load 24 0 1 0 0
	ld2	{v0.4s, v1.4s}, [x0]	// load 32 0 1 0 0
	ld4	{v0.4s-v3.4s}, [x0], #64	// load 64 0 1 0 0
	st1	{v0.4s}, [x0]		// store 0 16 1 0 0
	st1	{v0.4s-v3.4s}, [x0], #64	// store 0 64 1 0 0
	st2	{v0.2s, v1.2s}, [x0]	// store 0 16 1 0 0
	ld1	{v0.s}[1], [x0]		// load 4 0 1 0 0
	ld1	{v0.d}[1], [x0]		// load 8 0 1 0 0
	ld1	{v0.b}[3], [x0]		// load 1 0 1 0 0
	ld2	{v0.h, v1.h}[2], [x0]	// load 4 0 1 0 0
	ld1r	{v0.4s}, [x0]		// load 4 0 1 0 0
	ld4r	{v0.2d-v3.2d}, [x0]	// load 32 0 1 0 0
	st1	{v0.s}[2], [x0], #4	// store 0 4 1 0 0
	st3	{v0.d, v1.d, v2.d}[0], [x0]	// store 0 24 1 0 0
// Scalar floating point
	fadd	s0, s1, s2		// fp-scalar 0 0 1 0 1
	fsub	d0, d1, d2		// fp-scalar 0 0 1 0 1
	fmul	s0, s1, s2		// fp-scalar 0 0 1 0 1
	fnmul	s0, s1, s2		// fp-scalar 0 0 1 0 1
	fdiv	s0, s1, s2		// fp-scalar 0 0 1 0 1
	fmax	s0, s1, s2		// fp-scalar 0 0 1 0 1
	fsqrt	s0, s1			// fp-scalar 0 0 1 0 1
	fabs	s0, s1			// fp-scalar 0 0 1 0 1
	fneg	d0, d1			// fp-scalar 0 0 1 0 1
	fcvt	d0, s1			// fp-scalar 0 0 1 0 1
	frintm	s0, s1			// fp-scalar 0 0 1 0 1
	fcmp	s0, s1			// fp-scalar 0 0 1 0 1
	fcmpe	s0, #0.0		// fp-scalar 0 0 1 0 1
	fccmp	s0, s1, #0, ne		// fp-scalar 0 0 1 0 1
	fcsel	s0, s1, s2, gt		// fp-scalar 0 0 1 0 1
	scvtf	s0, w1			// fp-scalar 0 0 1 0 1
	ucvtf	d0, x1			// fp-scalar 0 0 1 0 1
	fcvtzs	w0, s1			// fp-scalar 0 0 1 0 1
	fcvtzs	w0, s1, #8		// fp-scalar 0 0 1 0 1
	scvtf	s0, s1			// fp-scalar 0 0 1 0 1
	fmul	s0, s1, v2.s[1]		// fp-scalar 0 0 1 0 1
	faddp	s0, v1.2s		// fp-scalar 0 0 1 0 1
	fmadd	s0, s1, s2, s3		// fp-fma 0 0 1 0 1
	fmsub	d0, d1, d2, d3		// fp-fma 0 0 1 0 1
	fnmadd	s0, s1, s2, s3		// fp-fma 0 0 1 0 1
	fnmsub	s0, s1, s2, s3		// fp-fma 0 0 1 0 1
	fmla	s0, s1, v2.s[3]		// fp-fma 0 0 1 0 1
	fmov	s0, s1			// simd-move 0 0 1 0 0
	fmov	s0, #1.0		// simd-move 0 0 1 0 0
	fmov	w0, s1			// simd-move 0 0 1 0 0
	fmov	d0, x1			// simd-move 0 0 1 0 0
// Advanced SIMD vector, FP
	fmla	v0.4s, v1.4s, v2.4s	// simd-fma 0 0 4 1 1
	fmla	v0.2s, v1.2s, v2.2s	// simd-fma 0 0 2 0 1
	fmla	v0.2d, v1.2d, v2.2d	// simd-fma 0 0 2 1 1
	fmls	v0.4s, v1.4s, v2.4s	// simd-fma 0 0 4 1 1
	fmla	v0.4s, v1.4s, v2.s[1]	// simd-fma 0 0 4 1 1
	fmla	v0.2s, v1.2s, v2.s[3]	// simd-fma 0 0 2 0 1
	fmls	v0.2d, v1.2d, v2.d[1]	// simd-fma 0 0 2 1 1
	fmul	v0.4s, v1.4s, v2.4s	// simd-fma 0 0 4 1 1
	fmul	v0.2s, v1.2s, v2.2s	// simd-fma 0 0 2 0 1
	fmul	v0.4s, v1.4s, v2.s[0]	// simd-fma 0 0 4 1 1
	fadd	v0.4s, v1.4s, v2.4s	// simd 0 0 4 1 1
	fadd	v0.2s, v1.2s, v2.2s	// simd 0 0 2 0 1
	fsub	v0.2d, v1.2d, v2.2d	// simd 0 0 2 1 1
	fmax	v0.4s, v1.4s, v2.4s	// simd 0 0 4 1 1
	faddp	v0.4s, v1.4s, v2.4s	// simd 0 0 4 1 1
	fdiv	v0.4s, v1.4s, v2.4s	// simd 0 0 4 1 1
	fcmgt	v0.4s, v1.4s, v2.4s	// simd 0 0 4 1 1
	fabs	v0.4s, v1.4s		// simd 0 0 4 1 1
	fneg	v0.2s, v1.2s		// simd 0 0 2 0 1
	fcmlt	v0.4s, v1.4s, #0.0	// simd 0 0 4 1 1
	frintn	v0.4s, v1.4s		// simd 0 0 4 1 1
	scvtf	v0.4s, v1.4s		// simd 0 0 4 1 1
	fcvtzs	v0.4s, v1.4s		// simd 0 0 4 1 1
	fcvtzs	v0.4s, v1.4s, #4	// simd 0 0 4 1 1
	fmaxv	s0, v1.4s		// simd 0 0 4 1 1
// Advanced SIMD vector, integer and moves
	add	v0.4s, v1.4s, v2.4s	// simd 0 0 1 1 0
	add	v0.8b, v1.8b, v2.8b	// simd 0 0 1 0 0
	mul	v0.4s, v1.4s, v2.4s	// simd 0 0 1 1 0
	and	v0.16b, v1.16b, v2.16b	// simd 0 0 1 1 0
	cmeq	v0.4s, v1.4s, #0	// simd 0 0 1 1 0
	bsl	v0.16b, v1.16b, v2.16b	// simd 0 0 1 1 0
	addv	s0, v1.4s		// simd 0 0 1 1 0
	smull	v0.2d, v1.2s, v2.2s	// simd 0 0 1 0 0
	sshr	v0.4s, v1.4s, #3	// simd 0 0 1 1 0
	sxtl	v0.2d, v1.2s		// simd 0 0 1 0 0
	bic	v0.4s, #0xff		// simd 0 0 1 1 0
	add	d0, d1, d2		// simd 0 0 1 0 0
	mov	v0.16b, v1.16b		// simd-move 0 0 1 1 0
	mov	v0.8b, v1.8b		// simd-move 0 0 1 0 0
	dup	v0.4s, w1		// simd-move 0 0 1 1 0
	dup	v0.4s, v1.s[2]		// simd-move 0 0 1 1 0
	ins	v0.s[1], w1		// simd-move 0 0 1 1 0
	mov	v0.s[1], v1.s[0]	// simd-move 0 0 1 1 0
	umov	w0, v1.s[1]		// simd-move 0 0 1 0 0
	mov	s0, v1.s[1]		// simd-move 0 0 1 0 0
	movi	v0.4s, #0		// simd-move 0 0 1 1 0
	movi	d0, #0			// simd-move 0 0 1 0 0
	fmov	v0.4s, #1.0		// simd-move 0 0 1 1 0
	zip1	v0.4s, v1.4s, v2.4s	// simd-move 0 0 1 1 0
	uzp2	v0.2s, v1.2s, v2.2s	// simd-move 0 0 1 0 0
	trn1	v0.4s, v1.4s, v2.4s	// simd-move 0 0 1 1 0
	ext	v0.16b, v1.16b, v2.16b, #4	// simd-move 0 0 1 1 0
	tbl	v0.16b, {v1.16b}, v2.16b	// simd-move 0 0 1 1 0
// Not decoded: a permanently undefined word
	udf	#0			// other 0 0 1 0 0
