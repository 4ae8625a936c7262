"""The running lab's files: inventory, settings (lab.yaml), serve.json."""
