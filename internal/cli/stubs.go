package cli

import "os"

var osGetenv = os.Getenv

func runServe(e env, args []string) int   { return notYet(e, "serve") }
func runImport(e env, args []string) int  { return notYet(e, "import") }
func runMigrate(e env, args []string) int { return notYet(e, "migrate") }
func runUser(e env, args []string) int    { return notYet(e, "user") }
func runBackup(e env, args []string) int  { return notYet(e, "backup") }
func runRestore(e env, args []string) int { return notYet(e, "restore") }
func runAudit(e env, args []string) int   { return notYet(e, "audit") }
func runVersion(e env, args []string) int { return notYet(e, "version") }
