"""The digital training record (digitaler Ausbildungsnachweis, BBiG § 13 Satz 2 Nr. 7, § 14 Abs. 2, § 43 Abs. 1 Nr. 2)."""
