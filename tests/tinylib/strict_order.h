/* Strict convolution's documented order, for the tests that compare
 * tl_conv's strict mode with it to the bit. */
#ifndef TL_TEST_STRICT_ORDER_H
#define TL_TEST_STRICT_ORDER_H

#include "tl_kernels.h"

/* Output (f, oy, ox) summed as strict mode documents it: from 0, the taps
 * in order (channel, ky, kx), padding skipped (adding its zeros would
 * change no bit), each tap one fused multiply-add (fmaf), then the bias,
 * then the activation. Any geometry (kw == 0: square). */
float conv_in_order(const struct tl_conv_params *p, const float *in,
		    const float *w, const float *b, int f, int oy, int ox);

#endif
