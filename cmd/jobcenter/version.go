package main

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func init() {
	register(func(e *env) *cobra.Command {
		return &cobra.Command{Use: "version", Short: "Print the version and the commit it was built from",
			RunE: e.run(func(context.Context) error {
				fmt.Fprintln(e.out, versionText())
				return nil
			})}
	})
}

// versionText reads the module version and the VCS stamp the go command
// writes into the binary (a build outside a repository has none).
func versionText() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "jobcenter unknown version (built without module information)"
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	commit := "unknown (built outside a git checkout)"
	if rev := settings["vcs.revision"]; rev != "" {
		commit = rev
		if t := settings["vcs.time"]; t != "" {
			commit += " " + t
		}
		if settings["vcs.modified"] == "true" {
			commit += " (with uncommitted changes)"
		}
	}
	return fmt.Sprintf("jobcenter %s\ncommit %s\n%s", bi.Main.Version, commit, bi.GoVersion)
}
