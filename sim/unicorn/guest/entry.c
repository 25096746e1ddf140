/*
 * Where every call the Unicorn runner makes into the TA returns to: the
 * runner sets the link register to this function and stops when the
 * program counter reaches it (uc_emu_start's until).
 */
void sim_uc_guest_return(void);

void sim_uc_guest_return(void)
{
	for (;;)
		;
}
