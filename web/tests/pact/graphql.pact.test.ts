import { CombinedGraphQLErrors } from "@apollo/client/errors";
import { addTypenameToDocument } from "@apollo/client/utilities";
import { MatchersV3, type PactV4 } from "@pact-foundation/pact";
import type { DocumentNode } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { createApi } from "../../src/api";
import { CreatePost, commentsPerPost, GetPost, GetPosts } from "../../src/api/blog";
import { freshPact } from "./pact-files";

// Every GraphQL operation the client sends, driven through the client's own API module (its
// Apollo Client and the blog's operations on it): the mock server checks the operation, its
// variables and headers, and answers with examples of what the contract allows.
// tests/contract/graphql.verify.test.ts verifies each interaction against the real server. (The
// body's content type, application/json, is part of every interaction already.)

const { integer, string, regex, eachLike, fromProviderState } = MatchersV3;

let pact: PactV4;
beforeAll(async () => {
  pact = await freshPact("stockroom-graphql");
});

/** The document as Apollo Client sends it: with `__typename` in every selection set. */
const asSent = (document: DocumentNode) => addTypenameToDocument(document);

/** The client's API module pointed at the mock server, holding `token` (as after a sign-in). */
const apiAt = (url: string, token?: string) =>
  createApi({ baseUrl: url, tokens: { current: () => token, renew: async () => undefined } }).blog;

const graphqlContentType = regex(/^application\/(graphql-response\+)?json(;.*)?$/, "application/json; charset=utf-8");
const isoTime = regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, "2026-12-01T10:00:00.000Z");
const globalId = (example: string) => regex(/^[A-Za-z0-9+/=_-]+$/, example);
const author = { __typename: "User", username: string("casey-customer") };
const postFields = {
  __typename: "Post",
  id: globalId("UG9zdDox"),
  title: string("Cold brew, slowly"),
  content: string("Twelve hours in the fridge and a coarse grind."),
  createdAt: isoTime,
  author,
};
const bearer = fromProviderState("Bearer ${accessToken}", "Bearer example-access-token");

/** A CreatePost with `variables` by a caller holding a blog:write token, answered with `payload`. */
const createPostAnswered = (description: string, variables: { title: string; content: string }, payload: object) =>
  pact
    .addGraphQLInteraction()
    .given("the caller holds a token with blog:write")
    .uponReceiving(description)
    .withOperation("CreatePost")
    .withVariables(variables)
    .withRequest("POST", "/graphql", (b) => b.headers({ authorization: bearer }))
    .withMutation(asSent(CreatePost))
    .willRespondWith(200, (b) =>
      b
        .headers({ "Content-Type": graphqlContentType })
        .jsonBody({ data: { createPost: { __typename: "PostPayload", ...payload } } }),
    );

describe("GraphQL as the web client sends it", () => {
  it("lists the posts with the seed's GetPosts", async () => {
    await pact
      .addGraphQLInteraction()
      .given("posts exist")
      .uponReceiving("the seed's GetPosts query")
      .withOperation("GetPosts")
      .withVariables({})
      .withRequest("POST", "/graphql")
      .withQuery(asSent(GetPosts))
      .willRespondWith(200, (b) =>
        b.headers({ "Content-Type": graphqlContentType }).jsonBody({ data: { posts: eachLike(postFields) } }),
      )
      .executeTest(async (server) => {
        const posts = await apiAt(server.url).posts();
        expect(posts[0]).toMatchObject({ title: "Cold brew, slowly", author: { username: "casey-customer" } });
      });
  });

  it("reads one post with its comments", async () => {
    await pact
      .addGraphQLInteraction()
      .given("a post with comments exists")
      .uponReceiving("a GetPost query for a post with comments")
      .withOperation("GetPost")
      .withVariables({ id: fromProviderState("${postId}", "UG9zdDox"), comments: commentsPerPost })
      .withRequest("POST", "/graphql")
      .withQuery(asSent(GetPost))
      .willRespondWith(200, (b) =>
        b.headers({ "Content-Type": graphqlContentType }).jsonBody({
          data: {
            post: {
              ...postFields,
              databaseId: integer(1),
              comments: {
                __typename: "CommentConnection",
                totalCount: integer(2),
                edges: eachLike({
                  __typename: "CommentEdge",
                  node: {
                    __typename: "Comment",
                    id: globalId("Q29tbWVudDox"),
                    databaseId: integer(1),
                    text: string("Lovely write-up."),
                    createdAt: isoTime,
                    author,
                  },
                }),
              },
            },
          },
        }),
      )
      .executeTest(async (server) => {
        const post = await apiAt(server.url).post("UG9zdDox");
        expect(post?.databaseId).toBe(1);
        expect(post?.comments.edges[0]?.node).toMatchObject({ databaseId: 1, text: "Lovely write-up." });
      });
  });

  it("reads null for a post that does not exist", async () => {
    await pact
      .addGraphQLInteraction()
      .given("no post has id 999999")
      .uponReceiving("a GetPost query for a post that does not exist")
      .withOperation("GetPost")
      .withVariables({ id: "999999", comments: commentsPerPost })
      .withRequest("POST", "/graphql")
      .withQuery(asSent(GetPost))
      .willRespondWith(200, (b) => b.headers({ "Content-Type": graphqlContentType }).jsonBody({ data: { post: null } }))
      .executeTest(async (server) => {
        expect(await apiAt(server.url).post("999999")).toBeNull();
      });
  });

  it("publishes a post with the seed's CreatePost, with the session's token", async () => {
    const post = { title: "Cold brew, slowly", content: "Twelve hours in the fridge and a coarse grind." };
    await createPostAnswered("the seed's CreatePost mutation", post, {
      post: { ...postFields, ...post },
      errors: [],
    }).executeTest(async (server) => {
      const answer = await apiAt(server.url, "example-access-token").createPost(
        "Cold brew, slowly",
        "Twelve hours in the fridge and a coarse grind.",
      );
      expect(answer.errors).toEqual([]);
      expect(answer.post?.title).toBe("Cold brew, slowly");
    });
  });

  it("is told which field to fix when CreatePost refuses the input", async () => {
    await createPostAnswered(
      "a CreatePost mutation with an empty title",
      { title: "", content: "No title." },
      {
        post: null,
        errors: eachLike({
          __typename: "ValidationError",
          message: string("Too small: expected string to have >=1 characters"),
          code: "BAD_USER_INPUT",
          field: "title",
        }),
      },
    ).executeTest(async (server) => {
      const answer = await apiAt(server.url, "example-access-token").createPost("", "No title.");
      expect(answer.post).toBeNull();
      expect(answer.errors[0]).toMatchObject({ code: "BAD_USER_INPUT", field: "title" });
    });
  });

  it("is refused with UNAUTHENTICATED when CreatePost comes without a token", async () => {
    await pact
      .addGraphQLInteraction()
      .given("the caller holds no token")
      .uponReceiving("a CreatePost mutation without a token")
      .withOperation("CreatePost")
      .withVariables({ title: "Anonymous", content: "Nobody signed in." })
      .withRequest("POST", "/graphql")
      .withMutation(asSent(CreatePost))
      .willRespondWith(200, (b) =>
        b.headers({ "Content-Type": graphqlContentType }).jsonBody({
          errors: eachLike({ message: string("Sign in first."), extensions: { code: "UNAUTHENTICATED" } }),
          data: null,
        }),
      )
      .executeTest(async (server) => {
        const call = apiAt(server.url).createPost("Anonymous", "Nobody signed in.");
        await expect(call).rejects.toSatisfy(
          (error) => CombinedGraphQLErrors.is(error) && error.errors[0]?.extensions?.code === "UNAUTHENTICATED",
        );
      });
  });
});
