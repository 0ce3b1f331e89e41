from pydantic import BaseModel, Field

from onelegion import Context, InputFile, skill


class CountIn(BaseModel):
    path: InputFile = Field(description="A text file.")


class CountOut(BaseModel):
    lines: int


@skill(
    "mine.count",
    title="Count lines",
    summary="Count the lines of a text file.",
    examples=["legion mine count notes.txt"],
)
def count(ctx: Context, params: CountIn) -> CountOut:
    with params.path.open(encoding="utf-8") as f:
        lines = sum(1 for _ in ctx.track(f, message="counting"))
    return CountOut(lines=lines)


SKILLS = [count]
