# Shortcuts; each target is also a plain command in README.md.
.PHONY: setup test bench lab book lint down clean

setup:
	bash scripts/setup.sh --dev

test:
	bash scripts/test.sh

bench:
	bash scripts/bench.sh

lab: setup
	.venv/bin/jupyter lab --ip 127.0.0.1 --notebook-dir notebooks

book: setup
	bash scripts/book.sh

lint:
	bash scripts/lint.sh

down:
	.venv/bin/workshop down

clean: down
	rm -rf var results
