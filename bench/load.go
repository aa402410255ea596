package main

import "context"

func benchLoad(ctx context.Context, url string) error { return nil }
