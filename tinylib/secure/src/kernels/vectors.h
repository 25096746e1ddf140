/*
 * GCC's vector types the kernels share: 16, 8 and 4 floats, aligned(4)
 * so that they load from any float. A width the machine lacks is split
 * by GCC. Arithmetic on them is lane by lane, so a lane's sum keeps the
 * scalar code's order.
 */
#ifndef TL_VECTORS_H
#define TL_VECTORS_H

typedef float vec16 __attribute__((vector_size(64), aligned(4)));
typedef float vec8 __attribute__((vector_size(32), aligned(4)));
typedef float vec4 __attribute__((vector_size(16), aligned(4)));

/* Lane by lane, x where the comparison mask m is set, else y: the bits
 * of the scalar code's x ? : (no arithmetic touches them). */
#define SELECT(V, m, x, y)						\
	((V)(((__typeof__(m))(x) & (m)) | ((__typeof__(m))(y) & ~(m))))

#endif
