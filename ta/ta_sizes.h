/* Smart-Zone plan for digits on rpi3bplus (smartzone plan): the TA's sizes.
 * TA heap = weights 104492 + arena 30720 + slack 49528 bytes, rounded to 4 KiB. */
#define TA_DATA_SIZE	0x2e000
#define TA_STACK_SIZE	0x2000
